// Hints to the processor that Swift has no spelling for: start loading memory that will be
// read soon (a hash table slot looked up a few steps later), and "this thread is spinning"
// (a waiting loop then leaves the core's resources to the other hardware thread and saves power).
static inline void flamegen_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

static inline void flamegen_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
