// A hint to the processor to start loading memory that will be read soon (a hash table slot
// looked up a few steps later), which Swift has no spelling for.
static inline void flamegen_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
