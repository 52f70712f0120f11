/* Stand-in for Windows' bcryptprimitives.dll, for Wine older than 8.13 (Debian 12 ships 8.0):
 * Rust's standard library takes its random bytes from ProcessPrng there (Windows 10 and later
 * always have it). Put into the test Wine prefix by packaging/wine-smoke.sh; never shipped. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
        if (!RtlGenRandom(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
