import { makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import type { LicenseSummary } from '../../../../shared/contract';
import { usedPercent } from './overview-format';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, margin: 0, padding: 0, listStyle: 'none' },
  row: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  labels: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  counts: { color: tokens.colorNeutralForeground2 },
  over: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  track: {
    display: 'flex',
    height: '12px',
    borderRadius: tokens.borderRadiusCircular,
    overflow: 'hidden',
    backgroundColor: tokens.colorNeutralBackground5,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  used: { backgroundColor: tokens.colorBrandBackground, height: '100%' },
  usedFull: { backgroundColor: tokens.colorPaletteDarkOrangeBackground3 },
  legend: { display: 'flex', gap: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  swatch: { display: 'inline-block', width: '10px', height: '10px', borderRadius: '2px', marginRight: tokens.spacingHorizontalXS, verticalAlign: 'middle' },
  swatchUsed: { backgroundColor: tokens.colorBrandBackground },
  swatchFree: { backgroundColor: tokens.colorNeutralBackground5, border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  srOnly: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: 0,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
});

/**
 * Used and free seats per subscription. The bars are decoration for sighted users (aria-hidden); the same
 * numbers are in a visually hidden table so a screen reader gets a real, navigable table.
 */
export function LicenseChart({ licenses }: { licenses: LicenseSummary[] }) {
  const styles = useStyles();
  return (
    <div>
      <ul className={styles.list} aria-hidden="true" data-testid="license-chart">
        {licenses.map((l) => {
          const pct = usedPercent(l);
          return (
            <li key={l.skuId} className={styles.row}>
              <div className={styles.labels}>
                <Text weight="semibold">{l.displayName}</Text>
                <Text className={l.free < 0 ? styles.over : styles.counts}>
                  {l.used} used · {l.free < 0 ? `${-l.free} over the limit` : `${l.free} free`} · {l.total} total
                </Text>
              </div>
              <div className={styles.track}>
                <div className={mergeClasses(styles.used, pct >= 100 && styles.usedFull)} style={{ width: `${pct}%` }} />
              </div>
            </li>
          );
        })}
      </ul>
      <div className={styles.legend} aria-hidden="true" style={{ marginTop: tokens.spacingVerticalM }}>
        <span><span className={mergeClasses(styles.swatch, styles.swatchUsed)} />Used</span>
        <span><span className={mergeClasses(styles.swatch, styles.swatchFree)} />Free</span>
      </div>
      <table className={styles.srOnly}>
        <caption>Licenses by subscription</caption>
        <thead>
          <tr>
            <th scope="col">Subscription</th>
            <th scope="col">Used</th>
            <th scope="col">Free</th>
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {licenses.map((l) => (
            <tr key={l.skuId}>
              <th scope="row">{l.displayName}</th>
              <td>{l.used}</td>
              <td>{l.free}</td>
              <td>{l.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
