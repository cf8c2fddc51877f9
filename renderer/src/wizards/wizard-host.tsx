import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
} from '@fluentui/react-components';
import { Suspense } from 'react';
import { WIZARDS } from './wizard-registry';
import { closeWizard, requestCloseWizard, useOpenWizard } from './wizard-store';

/** Renders the open wizard in a modal dialog; wizards without a component yet explain that they are coming. */
export function WizardHost() {
  const id = useOpenWizard();
  const entry = id ? WIZARDS[id] : null;
  const Body = entry?.component;
  return (
    <Dialog open={entry !== null} modalType="modal" onOpenChange={(_e, data) => !data.open && requestCloseWizard()}>
      <DialogSurface aria-describedby={undefined}>
        {entry && Body ? (
          <Suspense fallback={<Spinner label="Loading the wizard…" />}>
            <Body onClose={closeWizard} />
          </Suspense>
        ) : entry ? (
          <DialogBody>
            <DialogTitle>{entry.title}</DialogTitle>
            <DialogContent style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
              <Text>{entry.summary}</Text>
              <MessageBar intent="info">
                <MessageBarBody>This wizard is not available in this version of OpenEssentials yet.</MessageBarBody>
              </MessageBar>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={closeWizard}>
                Close
              </Button>
            </DialogActions>
          </DialogBody>
        ) : null}
      </DialogSurface>
    </Dialog>
  );
}
