/*
 * A stand-in for Windows' bcryptprimitives.dll, for running hmsaccess.exe under Wine 8 only
 * (scripts/windows-wine builds it and puts it beside the .exe; it is never shipped).
 *
 * Rust's standard library gets random bytes from ProcessPrng in bcryptprimitives.dll
 * (Windows 10 and later), which Wine 8 does not have: the program would not start
 * ("status c0000135"). Wine does have BCryptGenRandom, so ProcessPrng is answered with it.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -o bcryptprimitives.dll bcryptprimitives.c -lbcrypt
 */
#include <windows.h>
#include <bcrypt.h>

/* Fills len bytes at data with random bytes; TRUE on success (Windows' ProcessPrng never fails). */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len; /* BCryptGenRandom takes a ULONG */
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
