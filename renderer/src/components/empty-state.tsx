import { makeStyles, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    textAlign: 'center',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalXXXL} ${tokens.spacingHorizontalXXL}`,
    borderRadius: tokens.borderRadiusXLarge,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  icon: { fontSize: '48px', color: tokens.colorBrandForeground1, display: 'flex' },
  body: { maxWidth: '520px', color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', justifyContent: 'center', marginTop: tokens.spacingVerticalS },
});

/** Props: an icon, a heading, why the area is empty, and what to do about it. */
export interface EmptyStateProps {
  icon: ReactNode;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}

/** An empty page area that explains itself and offers the next step instead of a blank table. */
export function EmptyState({ icon, title, children, actions }: EmptyStateProps) {
  const styles = useStyles();
  return (
    <section className={styles.root} aria-label={title}>
      <span className={styles.icon} aria-hidden="true">
        {icon}
      </span>
      <Text as="h2" size={500} weight="semibold">
        {title}
      </Text>
      <Text as="p" className={styles.body}>
        {children}
      </Text>
      {actions ? <div className={styles.actions}>{actions}</div> : null}
    </section>
  );
}
