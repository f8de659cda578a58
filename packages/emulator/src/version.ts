/** The version Zemu reports (`zemu --version`, GET /_zemu/health); kept apart so the CLI loads it alone. */
export const ZEMU_VERSION = '0.1.0';
