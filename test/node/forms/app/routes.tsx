import { actionUrl, defineRoutes, island, QueryValue, useSubmission } from "sortie";
import LikesComponent from "./islands/Likes.tsx";
import NotesComponent from "./islands/Notes.tsx";
import OutcomeComponent from "./islands/Outcome.tsx";
import SubmitButtonComponent from "./islands/SubmitButton.tsx";
import { addNote, createProduct, getProduct, renameProduct, shoutName } from "./products.ts";

const Likes = island("Likes", LikesComponent);
const Notes = island("Notes", NotesComponent);
const Outcome = island("Outcome", OutcomeComponent);
const SubmitButton = island("SubmitButton", SubmitButtonComponent);

export const routes = defineRoutes([
  {
    path: "/products/:id",
    preload: ({ params }) => getProduct(params.id),
    component: ({ params }) => {
      const renamed = useSubmission(renameProduct.with(params.id));
      const created = useSubmission(createProduct);
      return (
        <main>
          <h1>
            <QueryValue query={getProduct} args={[params.id]} select="name" />
          </h1>
          {renamed?.result && <p id="renamed">Renamed to {renamed.result.renamed}</p>}
          <form id="rename" method="post" action={renameProduct.with(params.id)}>
            <input name="name" value={renamed?.input?.get("name")?.toString() ?? ""} />
            <p id="rename-error" data-sortie-error role="alert">
              {renamed?.error?.message}
            </p>
            <SubmitButton />
            <button id="shout" formAction={shoutName.with(params.id)}>
              Shout
            </button>
          </form>
          <Outcome id={params.id} />
          <Outcome id={params.id} of="shout" />
          <form id="create" action={createProduct}>
            <input name="id" />
            <input name="name" />
            <p id="create-error" data-sortie-error role="alert">
              {created?.error?.message}
            </p>
            <button>Create</button>
          </form>
          <Outcome id={params.id} of="create" />
          <Notes id={params.id} permalink={actionUrl(addNote.with(params.id, []))} />
          <Likes id={params.id} />
        </main>
      );
    },
  },
]);
