#ifndef CGRACESHIMS_H
#define CGRACESHIMS_H
#include <stddef.h>

/// glibc's memmem (SIMD two-way search) is declared only under _GNU_SOURCE, which Swift's
/// Glibc module does not define; this wrapper makes it callable from Swift.
const void *grace_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

#endif
