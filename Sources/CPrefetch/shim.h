// A hint to the processor to start loading memory that will be read soon (the hash table slot
// of the next line's stack), which Swift has no spelling for.
static inline void flamegen_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
