// Types of the `sortie:manifest` virtual module that the build provides to the Worker bundle.
declare module "sortie:manifest" {
  const manifest: import("./manifest.ts").ClientManifest;
  export default manifest;
}
