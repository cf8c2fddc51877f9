import { makeStyles, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'flex-end', justifyContent: 'space-between', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  titles: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  subtitle: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

/** Props: the page's heading, a one-line description, and its toolbar. */
export interface PageHeaderProps {
  title: string;
  description: string;
  actions?: ReactNode;
}

/** The heading block every page starts with (h1 + description + actions), for a consistent rhythm. */
export function PageHeader({ title, description, actions }: PageHeaderProps) {
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <div className={styles.titles}>
        <Text as="h1" size={700} weight="semibold">
          {title}
        </Text>
        <Text className={styles.subtitle}>{description}</Text>
      </div>
      {actions ? <div className={styles.actions}>{actions}</div> : null}
    </div>
  );
}
