/* For the static Linux build (scripts/release): Debian builds LLVM's libunwind
 * (libunwind-14-dev) against glibc with _FORTIFY_SOURCE, so its error messages call glibc's
 * checked __fprintf_chk, which musl does not have. This is that function without the check
 * (the format strings are libunwind's own constants). Linked into the copy of libunwind.a
 * that the release build uses; nothing else. */
#include <stdarg.h>
#include <stdio.h>

int __fprintf_chk(FILE *stream, int flag, const char *format, ...) {
    va_list ap;
    int n;
    (void)flag;
    va_start(ap, format);
    n = vfprintf(stream, format, ap);
    va_end(ap);
    return n;
}
