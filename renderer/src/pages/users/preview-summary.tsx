import { makeStyles, Text, tokens } from '@fluentui/react-components';
import type { SyncPreview } from './sync-types';

const useStyles = makeStyles({
  counts: { display: 'grid', gridTemplateColumns: 'max-content max-content', columnGap: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalXXS, margin: 0 },
  items: { maxHeight: '200px', overflowY: 'auto', margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

const LABELS: [keyof SyncPreview['counts'], string][] = [
  ['creates', 'Online accounts to create'],
  ['updates', 'Accounts to update'],
  ['enables', 'Accounts to turn back on'],
  ['disables', 'Accounts to deactivate'],
  ['deletes', 'Online accounts to remove'],
  ['heldDeletes', 'Removals held for your approval'],
  ['skipped', 'Accounts skipped'],
];

/** A dry run in words: non-zero counts, then the named changes (removals first), before anything happens. */
export function PreviewSummary({ preview }: { preview: SyncPreview }) {
  const styles = useStyles();
  const counts = LABELS.filter(([k]) => preview.counts[k] > 0);
  const items = [...preview.items].filter((i) => i.action !== 'skip').sort((a, b) => Number(b.action.includes('delete')) - Number(a.action.includes('delete')));
  return (
    <>
      {counts.length === 0 ? (
        <Text>Everything is already in step; nothing would change.</Text>
      ) : (
        <dl className={styles.counts}>
          {counts.map(([k, label]) => (
            <div key={k} style={{ display: 'contents' }}>
              <dt>{label}</dt>
              <dd style={{ margin: 0, fontWeight: 600 }}>{preview.counts[k]}</dd>
            </div>
          ))}
        </dl>
      )}
      {items.length > 0 ? (
        <ul className={styles.items} aria-label="Changes">
          {items.slice(0, 200).map((i) => (
            <li key={`${i.objectGuid}-${i.action}`}>
              <strong>{i.name}</strong> ({i.userPrincipalName}): {i.detail}
            </li>
          ))}
        </ul>
      ) : null}
      {preview.truncated || items.length > 200 ? <Text size={200}>Only the first changes are listed; the counts cover all of them.</Text> : null}
    </>
  );
}
