import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalXXL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground2, fontWeight: tokens.fontWeightRegular },
  value: { margin: 0, fontWeight: tokens.fontWeightSemibold, minWidth: 0, overflowWrap: 'anywhere' },
});

/** One labelled value in a FactList. */
export interface Fact {
  label: string;
  value: ReactNode;
}

/** Label/value pairs as a real description list, so screen readers pair them. */
export function FactList({ facts }: { facts: Fact[] }) {
  const styles = useStyles();
  return (
    <dl className={styles.list}>
      {facts.map((f) => (
        <div key={f.label} style={{ display: 'contents' }}>
          <dt className={styles.term}>{f.label}</dt>
          <dd className={styles.value}>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}
