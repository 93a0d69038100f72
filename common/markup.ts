/** Names in the HTML the Worker renders and the client's `start()` reads back. */

/** The `<script type="application/json">` holding the page's query results. */
export const PAGE_DATA_ID = "sortie-data";

/** An island's wrapper element; its name and props (seroval JSON) ride on attributes. */
export const ISLAND_TAG = "sortie-island";
export const ISLAND_NAME = "data-island";
export const ISLAND_PROPS = "data-props";

/** On a `<QueryValue>` element: the cache entry it shows and the path selected from it. */
export const QUERY_VALUE = "data-sortie-query";
export const QUERY_SELECT = "data-select";
