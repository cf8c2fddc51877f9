import { Badge, makeStyles, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircleRegular, GlobeRegular, StarRegular, WarningRegular } from '@fluentui/react-icons';
import type { TenantDomain } from '../../../../shared/contract';
import { sortDomains } from './overview-format';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', margin: 0, padding: 0, listStyle: 'none' },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    ':last-child': { borderBottom: 'none' },
  },
  name: { flexGrow: 1, minWidth: 0, overflowWrap: 'anywhere' },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
  icon: { color: tokens.colorNeutralForeground3, fontSize: '20px', display: 'flex' },
});

const STATUS = {
  initial: { label: 'Initial', color: 'informative', icon: <GlobeRegular /> },
  verified: { label: 'Verified', color: 'success', icon: <CheckmarkCircleRegular /> },
  unverified: { label: 'Not verified', color: 'warning', icon: <WarningRegular /> },
} as const;

/** The tenant's domains with a status badge each (text + icon, never colour alone) and the default marked. */
export function DomainList({ domains }: { domains: TenantDomain[] }) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label="Domains">
      {sortDomains(domains).map((d) => {
        const s = STATUS[d.status];
        return (
          <li key={d.name} className={styles.item} data-testid="domain">
            <span className={styles.icon} aria-hidden="true"><GlobeRegular /></span>
            <Text className={styles.name} weight="semibold">{d.name}</Text>
            <span className={styles.badges}>
              {d.isDefault ? <Badge appearance="outline" color="brand" icon={<StarRegular />}>Default</Badge> : null}
              <Badge appearance="tint" color={s.color} icon={s.icon}>{s.label}</Badge>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
