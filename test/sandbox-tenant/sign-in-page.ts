// HTML for the sandbox's Entra-like sign-in and consent pages. Plain forms so playwright, a system
// browser or the dashboard's popup can all drive them.

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function hidden(params: Record<string, string>): string {
  return Object.entries(params).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
}

const STYLE = `<style>body{font-family:Segoe UI,system-ui,sans-serif;background:#f2f2f2}main{background:#fff;width:360px;margin:80px auto;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
input[type=text],input[type=password],input[type=email]{width:100%;padding:6px 0;margin:8px 0;border:0;border-bottom:1px solid #666}
button{background:#0067b8;color:#fff;border:0;padding:8px 24px;margin-top:16px}#error{color:#e81123}</style>`;

/** Sign-in page: UPN + password, error text like Entra's. */
export function signInPage(action: string, params: Record<string, string>, error?: string, login = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title>${STYLE}</head><body><main>
<h1>Sign in</h1><p>Sandbox tenant (Microsoft 365 emulator)</p>
${error ? `<div id="error" role="alert">${esc(error)}</div>` : ''}
<form method="post" action="${esc(action)}">${hidden(params)}
<label for="login">Email, phone, or Skype</label><input id="login" name="login" type="email" autocomplete="username" value="${esc(login)}" required>
<label for="passwd">Password</label><input id="passwd" name="passwd" type="password" autocomplete="current-password" required>
<button id="idSIButton9" type="submit">Sign in</button></form></main></body></html>`;
}

/** Consent page: Accept / Cancel. */
export function consentPage(action: string, pending: string, appName: string, scopes: string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Permissions requested</title>${STYLE}</head><body><main>
<h1>Permissions requested</h1><p>${esc(appName)} needs permission to:</p><ul>${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
<form method="post" action="${esc(action)}">${hidden({ pending })}
<button id="idBtn_Accept" name="decision" value="accept" type="submit">Accept</button>
<button id="idBtn_Back" name="decision" value="cancel" type="submit" style="background:#ccc;color:#000">Cancel</button></form></main></body></html>`;
}

/** form_post response: an auto-submitting form to the client's redirect URI. */
export function formPostPage(redirectUri: string, fields: Record<string, string>): string {
  return `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()">
<form method="post" action="${esc(redirectUri)}">${hidden(fields)}<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
}

/** The device login page (microsoft.com/devicelogin's form): code, then the account. */
export function deviceLoginPage(action: string, message?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Enter code</title>${STYLE}</head><body><main>
<h1>Enter code</h1><p>Enter the code displayed on your app or device.</p>
${message ? `<div id="error" role="alert">${esc(message)}</div>` : ''}
<form method="post" action="${esc(action)}">
<label for="otc">Code</label><input id="otc" name="otc" type="text" required>
<label for="login">Email, phone, or Skype</label><input id="login" name="login" type="email" autocomplete="username" required>
<label for="passwd">Password</label><input id="passwd" name="passwd" type="password" autocomplete="current-password" required>
<button id="idSIButton9" type="submit">Next</button></form></main></body></html>`;
}
