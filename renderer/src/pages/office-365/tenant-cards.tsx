import { Card, CardHeader, makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import { BuildingRegular, ReceiptRegular } from '@fluentui/react-icons';
import type { TenantOverview } from '../../../../shared/contract';
import { FactList } from '../../components/fact-list';
import { usePageStyles } from '../page-styles';
import { DomainList } from './domain-list';
import { LicenseChart } from './license-chart';

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground2 },
  subheading: { marginTop: tokens.spacingVerticalS },
});

const OFFLINE_TEXT = 'Shown when Microsoft 365 can be reached.';

/** Organisation name and its domains (initial and verified) with status badges. */
export function OrganizationCard({ overview, loading }: { overview: TenantOverview | null; loading: boolean }) {
  const page = usePageStyles();
  const styles = useStyles();
  const org = overview?.organization ?? null;
  return (
    <Card className={page.card} data-testid="organization-card">
      <CardHeader
        image={<span className={page.cardIcon} aria-hidden="true"><BuildingRegular /></span>}
        header={<Text as="h2" size={400} weight="semibold">Organization</Text>}
      />
      {loading ? <Spinner size="small" label="Reading your subscription…" /> : null}
      {org ? (
        <FactList
          facts={[
            { label: 'Name', value: org.displayName },
            { label: 'Country or region', value: org.countryLetterCode ?? 'Not set' },
          ]}
        />
      ) : !loading ? (
        <Text className={styles.muted}>{OFFLINE_TEXT}</Text>
      ) : null}
      {overview && overview.domains.length > 0 ? (
        <>
          <Text as="h3" size={300} weight="semibold" className={styles.subheading}>Domains</Text>
          <DomainList domains={overview.domains} />
        </>
      ) : null}
    </Card>
  );
}

/** Seats per subscription as a chart with a screen-reader table. */
export function LicensesCard({ overview, loading }: { overview: TenantOverview | null; loading: boolean }) {
  const page = usePageStyles();
  const styles = useStyles();
  const licenses = overview?.licenses ?? [];
  return (
    <Card className={page.card} data-testid="licenses-card">
      <CardHeader
        image={<span className={page.cardIcon} aria-hidden="true"><ReceiptRegular /></span>}
        header={<Text as="h2" size={400} weight="semibold">Licenses</Text>}
        description={<Text className={styles.muted}>Used and free seats in each subscription.</Text>}
      />
      {loading ? <Spinner size="small" label="Reading licenses…" /> : null}
      {licenses.length > 0 ? (
        <LicenseChart licenses={licenses} />
      ) : !loading ? (
        <Text className={styles.muted}>{overview?.reachable ? 'This subscription has no licenses yet.' : OFFLINE_TEXT}</Text>
      ) : null}
    </Card>
  );
}
