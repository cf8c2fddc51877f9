/** Microsoft's help for small-business Microsoft 365 admins (on the core's allowlist). */
export const M365_HELP_URL = 'https://learn.microsoft.com/microsoft-365/admin/';

/** The Microsoft 365 admin center. */
export const M365_ADMIN_URL = 'https://admin.microsoft.com/';

/** The admin center's Domains page, where a domain is added and verified. */
export const M365_DOMAINS_URL = 'https://admin.microsoft.com/#/Domains';

/** The Microsoft Entra admin center. */
export const ENTRA_ADMIN_URL = 'https://entra.microsoft.com/';
