// What the page hosting the views can do beyond rendering (DevTools APIs in the panel).
// Its own module so that views below app.tsx can name it without importing app.tsx.
export interface Host {
  /** Opens a script in the Sources panel; line is 1-based as in stacks. */
  openResource: ((url: string, line: number) => void) | null;
}
