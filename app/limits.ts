// Rate limits of the demo (the [[ratelimits]] bindings in wrangler.toml): sign-in by the
// client's address, creating posts by session. Over the limit a call answers 429; a form
// posted without JavaScript shows the message as its error.
import { rateLimit } from "sortie";

export const signInLimit = rateLimit({ binding: "SIGN_IN_LIMITER", key: "ip", period: 60 });
export const postLimit = rateLimit({ binding: "POST_LIMITER", key: "session", period: 60 });
