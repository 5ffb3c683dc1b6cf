/** Themes of the widget; `auto` follows `prefers-color-scheme`. */
export type ChatTheme = 'light' | 'dark' | 'auto';
