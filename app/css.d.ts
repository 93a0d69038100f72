// `import "./styles.css"` in the client entry: the build turns it into a hashed stylesheet
// that every page links (sortie:manifest's `css`).
declare module "*.css";
