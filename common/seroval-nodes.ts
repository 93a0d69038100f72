/**
 * seroval's node types (its SerovalNodeType, which it does not export), listed once as
 * constants (the bundler inlines them, so the browser ships numbers, not a table): the
 * browser's argument encoder (args.ts) writes them and the Worker's argument check
 * (worker/endpoint/argument-nodes.ts) accepts or refuses them by these numbers.
 */
export const NODE_NUMBER = 0;
export const NODE_STRING = 1;
/** null, undefined, booleans, -0, ±Infinity, NaN (`s` picks which). */
export const NODE_CONSTANT = 2;
export const NODE_BIGINT = 3;
/** A shared or cyclic reference to an earlier node, by its `i`. */
export const NODE_INDEXED_VALUE = 4;
export const NODE_DATE = 5;
export const NODE_REGEXP = 6;
export const NODE_SET = 7;
export const NODE_MAP = 8;
export const NODE_ARRAY = 9;
export const NODE_OBJECT = 10;
export const NODE_NULL_CONSTRUCTOR = 11;
export const NODE_PROMISE = 12;
export const NODE_ERROR = 13;
export const NODE_AGGREGATE_ERROR = 14;
export const NODE_TYPED_ARRAY = 15;
export const NODE_BIGINT_TYPED_ARRAY = 16;
export const NODE_WELL_KNOWN_SYMBOL = 17;
/** A reference to a value that lives on the other side. */
export const NODE_REFERENCE = 18;
export const NODE_ARRAY_BUFFER = 19;
export const NODE_DATA_VIEW = 20;
export const NODE_BOXED = 21;
export const NODE_PROMISE_CONSTRUCTOR = 22;
export const NODE_PROMISE_SUCCESS = 23;
export const NODE_PROMISE_FAILURE = 24;
export const NODE_PLUGIN = 25;
export const NODE_SPECIAL_REFERENCE = 26;
export const NODE_ITERATOR_FACTORY = 27;
export const NODE_ITERATOR_FACTORY_INSTANCE = 28;
export const NODE_ASYNC_ITERATOR_FACTORY = 29;
export const NODE_ASYNC_ITERATOR_FACTORY_INSTANCE = 30;
export const NODE_STREAM_CONSTRUCTOR = 31;
export const NODE_STREAM_NEXT = 32;
export const NODE_STREAM_THROW = 33;
export const NODE_STREAM_RETURN = 34;
export const NODE_SEQUENCE = 35;
export const NODE_TEMPORAL = 36;

/** seroval's constants (the `s` of a Constant node). */
export const CONSTANT_NULL = 0;
export const CONSTANT_UNDEFINED = 1;
export const CONSTANT_TRUE = 2;
export const CONSTANT_FALSE = 3;
export const CONSTANT_NEGATIVE_ZERO = 4;
export const CONSTANT_INFINITY = 5;
export const CONSTANT_NEGATIVE_INFINITY = 6;
export const CONSTANT_NAN = 7;
