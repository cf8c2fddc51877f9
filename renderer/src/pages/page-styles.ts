import { makeStyles, tokens } from '@fluentui/react-components';

/** Layout shared by the pages: a vertical stack and a responsive two-column grid of cards. */
export const usePageStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 3fr) minmax(280px, 2fr)',
    gap: tokens.spacingHorizontalXL,
    alignItems: 'start',
    '@media (max-width: 900px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  card: { padding: tokens.spacingVerticalL, gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  cardIcon: { fontSize: '24px', color: tokens.colorBrandForeground1, display: 'flex' },
});
