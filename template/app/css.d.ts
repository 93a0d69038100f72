// `import "./styles.css"` in the client entry: the build links the hashed stylesheet on every page.
declare module "*.css";
