import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { ApiError } from '../transport/api';

/** Props: the failure to show, and optional Retry / Dismiss handlers. */
export interface ApiErrorBarProps {
  error: ApiError;
  title?: string;
  onRetry?: () => void;
  onDismiss?: () => void;
}

/** Shows a failed call the same way everywhere: a title, the core's message, and its code for support. */
export function ApiErrorBar({ error, title = 'Something went wrong', onRetry, onDismiss }: ApiErrorBarProps) {
  return (
    <MessageBar intent="error" layout="multiline" data-testid="api-error">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {error.message} <span style={{ opacity: 0.8 }}>(code: {error.code})</span>
      </MessageBarBody>
      <MessageBarActions
        containerAction={
          onDismiss ? <Button appearance="transparent" aria-label="Dismiss" icon={<DismissRegular />} onClick={onDismiss} /> : undefined
        }
      >
        {onRetry ? <Button onClick={onRetry}>Try again</Button> : null}
      </MessageBarActions>
    </MessageBar>
  );
}
