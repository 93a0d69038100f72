// The types a stub has: exactly the server function's, plus a typed `.with(...)`.
import manifest from "sortie:manifest";
import type { ClientManifest } from "../../build/manifest.ts";
import { createServerReference } from "../../client/stub.ts";
import type { ServerReference } from "../../common/reference.ts";
import { registerServerFunction } from "../../worker/endpoint/registry.ts";
import { getProduct, updateProduct, type Product } from "./actions.ts";
import { assertType, type Equal } from "./assert.ts";

// Client code imports the server module itself and sees the real signature.
export async function clientCode(form: FormData): Promise<void> {
  const product: Product = await updateProduct("p1", form);
  // @ts-expect-error the id is a string
  await updateProduct(1, form);
  // @ts-expect-error the form data is required
  await updateProduct("p1");
  // @ts-expect-error it resolves to a Product, not a string
  const wrong: string = await updateProduct("p1", form);
  void product;
  void wrong;
}

// What the transform puts in the browser for updateProduct.
const stub = createServerReference<typeof updateProduct>("updateProduct_0123456789");
assertType<Equal<Parameters<typeof stub>, [id: string, data: FormData]>>();
assertType<Equal<ReturnType<typeof stub>, Promise<Product>>>();
assertType<Equal<typeof stub, ServerReference<typeof updateProduct>>>();
// @ts-expect-error a stub has the same parameters as the function
void stub("p1");

// `.with` binds leading arguments and leaves the rest.
const bound = stub.with("p1");
assertType<Equal<Parameters<typeof bound>, [data: FormData]>>();
assertType<Equal<ReturnType<typeof bound>, Promise<Product>>>();
const allBound = stub.with("p1", new FormData());
assertType<Equal<Parameters<typeof allBound>, []>>();
assertType<Equal<ReturnType<typeof allBound>, Promise<Product>>>();
const twice = stub.with().with("p1");
assertType<Equal<Parameters<typeof twice>, [data: FormData]>>();
// @ts-expect-error the first argument is a string
stub.with(1);
// @ts-expect-error there are only two arguments to bind
stub.with("p1", new FormData(), "extra");
// @ts-expect-error the bound reference still wants its FormData
void bound("p1");

// Optional parameters stay optional after binding.
const read = createServerReference<typeof getProduct>("getProduct_0123456789");
assertType<Equal<ReturnType<typeof read>, Promise<Product | undefined>>>();
const readBound = read.with("p1");
void readBound();
void readBound({ fresh: true });
// @ts-expect-error fresh is a boolean
void readBound({ fresh: "yes" });

// On the server the registered function keeps its type and gains `.with`.
const registered = registerServerFunction("updateProduct_0123456789", updateProduct);
assertType<Equal<typeof registered, ServerReference<typeof updateProduct>>>();
const registeredBound = registered.with("p1");
assertType<Equal<Parameters<typeof registeredBound>, [data: FormData]>>();

// The Worker's view of the client build.
assertType<Equal<typeof manifest, ClientManifest>>();
// @ts-expect-error the manifest is read-only
manifest.entry = "/assets/other.js";
