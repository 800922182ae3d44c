; Authdeck's Windows installer. Build with:
;   makensis -DVERSION=0.1.0 -DEXE=path\to\authdeck.exe -DOUTFILE=authdeck-setup.exe packaging/windows/authdeck.nsi
; It installs for the current user (no administrator rights needed) or for
; every user of the computer, adds a Start-menu entry and an uninstaller.

Unicode true
; A 64-bit installer for a 64-bit program: it installs under "Program Files", not "(x86)".
Target amd64-unicode
!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef EXE
  !error "define EXE, the path of authdeck.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "authdeck-${VERSION}-setup.exe"
!endif

!define APPNAME "Authdeck"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Authdeck"

!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_INSTALLMODE_INSTDIR "${APPNAME}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "${UNINSTKEY}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallMode"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${UNINSTKEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallLocation"
!include MultiUser.nsh
!include MUI2.nsh

Name "${APPNAME}"
OutFile "${OUTFILE}"
SetCompressor /SOLID lzma
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APPNAME}"
VIAddVersionKey "FileDescription" "${APPNAME} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "The Authdeck developers"

!define MUI_ABORTWARNING
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\authdeck.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  !insertmacro MULTIUSER_INIT
FunctionEnd

Function un.onInit
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

; URLScheme registers Authdeck as the handler of links of a scheme, for this
; user or for all as the install is.
!macro URLScheme SCHEME
  WriteRegStr SHCTX "Software\Classes\${SCHEME}" "" "URL:${SCHEME} link"
  WriteRegStr SHCTX "Software\Classes\${SCHEME}" "URL Protocol" ""
  WriteRegStr SHCTX "Software\Classes\${SCHEME}\DefaultIcon" "" "$INSTDIR\authdeck.exe,0"
  WriteRegStr SHCTX "Software\Classes\${SCHEME}\shell\open\command" "" '"$INSTDIR\authdeck.exe" "%1"'
!macroend

Section "Authdeck" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=authdeck.exe" "${EXE}"
  ; The brand icons' licence and trademark notice travel with them.
  SetOutPath "$INSTDIR\brand-icons"
  File "${BRANDS}\NOTICE.md"
  File "${BRANDS}\LICENSE"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortCut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\authdeck.exe"
  WriteRegStr SHCTX "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr SHCTX "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTKEY}" "Publisher" "The Authdeck developers"
  WriteRegStr SHCTX "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\authdeck.exe"
  WriteRegStr SHCTX "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTKEY}" "InstallMode" "$MultiUser.InstallMode"
  WriteRegStr SHCTX "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode'
  WriteRegDWORD SHCTX "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTKEY}" "NoRepair" 1
  ; otpauth:// and otpauth-migration:// links open Authdeck's add preview.
  !insertmacro URLScheme otpauth
  !insertmacro URLScheme otpauth-migration
SectionEnd

; The uninstaller removes the program, never the vault: accounts stay in
; %AppData%\authdeck and the key in the Credential Manager.
Section "Uninstall"
  Delete "$INSTDIR\authdeck.exe"
  Delete "$INSTDIR\uninstall.exe"
  Delete "$INSTDIR\brand-icons\NOTICE.md"
  Delete "$INSTDIR\brand-icons\LICENSE"
  RMDir "$INSTDIR\brand-icons"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  DeleteRegKey SHCTX "${UNINSTKEY}"
  DeleteRegKey SHCTX "Software\Classes\otpauth"
  DeleteRegKey SHCTX "Software\Classes\otpauth-migration"
SectionEnd
