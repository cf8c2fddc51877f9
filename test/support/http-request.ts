import http from 'node:http';

/** A plain HTTP reply: status, headers, the body as text. */
export interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

/** One HTTP request with node:http (no redirects followed, no cookie jar): what the dashboard tests need to see. */
export function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
