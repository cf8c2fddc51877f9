import { Card, CardHeader, Text } from '@fluentui/react-components';
import { FolderRegular, HardDriveRegular } from '@fluentui/react-icons';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../components/page-header';
import { usePageStyles } from './page-styles';

/** Storage: server folders and drives. Nothing is reported yet, so it says what will appear here. */
export function StoragePage() {
  const styles = usePageStyles();
  return (
    <div className={styles.stack}>
      <PageHeader title="Storage" description="Server folders and the drives that hold them." />
      <div className={styles.grid}>
        <EmptyState icon={<FolderRegular />} title="No server folders yet">
          Server folders are shared locations for company files, such as Documents or Pictures. Folders you share from this
          server will be listed here with their size and who can use them.
        </EmptyState>
        <Card className={styles.card}>
          <CardHeader
            image={<span className={styles.cardIcon} aria-hidden="true"><HardDriveRegular /></span>}
            header={<Text as="h2" size={400} weight="semibold">Hard drives</Text>}
          />
          <Text>Drive health and free space will be shown here once the server reports them.</Text>
        </Card>
      </div>
    </div>
  );
}
