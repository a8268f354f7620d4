/* utf8.h - UTF-8 validation for untrusted text shown in reports. */
#ifndef BILLCHECK_UTF8_H
#define BILLCHECK_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s[0..n) (1 to 4), or 0 when the
 * bytes there are not valid UTF-8 (overlong, surrogate, truncated). */
size_t utf8_valid_prefix(const char *s, size_t n);

#endif
