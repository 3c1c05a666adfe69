// Addresses that unsubscribed or complained. Loaded from the main server at boot in prod; static here.
const SUPPRESSED = new Set(['abuse@example.test', 'postmaster@example.test']);

export const isSuppressed = (email) => SUPPRESSED.has(String(email).toLowerCase());
