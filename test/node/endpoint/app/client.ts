// The build wants a client entry; the test calls the stubs from Node instead.
export { disconnectRecord, streamUntilDisconnect } from "./actions.ts";
