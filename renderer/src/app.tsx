import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/contract';
import { api } from './transport/api';

/** Placeholder shell; replaced by the Fluent UI dashboard. */
export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    void api['app:get-info']().then(setInfo);
  }, []);
  return (
    <main>
      <h1>OpenEssentials</h1>
      <p>{info ? `${info.serverName} — ${info.mode}` : 'Loading…'}</p>
    </main>
  );
}
