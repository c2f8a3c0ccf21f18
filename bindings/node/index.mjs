// The ES module entry: the same objects as the CommonJS one (one copy of the library's state).
import gcounter from './index.js';

export const { Counter, GCounterError, Status, U64_MAX, libraryVersion, libraryPath } = gcounter;
export default gcounter;
