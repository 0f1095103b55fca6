/* A stand-in for Windows Explorer, for the double-click check under Wine (scripts/release):
 * a program named explorer.exe that starts the command line it is given (the program and its
 * arguments) as its child, waits for it, and exits with its status. hmsaccess recognises a
 * double-click by its parent's name (src/commands/double_click.rs); Wine has no desktop shell
 * here to double-click in. The child shares this process's console (Explorer would give it a
 * new one), which is the terminal the check types Enter into. Never shipped. */
#include <windows.h>
#include <wchar.h>

int main(void) {
    wchar_t *line = GetCommandLineW();
    /* Skip our own name, quoted or not, and the blanks after it. */
    if (*line == L'"') {
        line = wcschr(line + 1, L'"');
        line = line ? line + 1 : L"";
    } else {
        while (*line && *line != L' ' && *line != L'\t') line++;
    }
    while (*line == L' ' || *line == L'\t') line++;
    if (!*line) return 2;

    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    if (!CreateProcessW(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) return 3;
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return (int)code;
}
