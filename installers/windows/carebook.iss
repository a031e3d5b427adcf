; Inno Setup 6 (6.3 or later) script for carebook's Windows installer (关爱簿安装程序).
; Build on Windows, after the bundle (see installers/README.md):
;   iscc /DAppVersion=0.1.0 installers\windows\carebook.iss
; Every path below is relative to this file and is one that installers/carebook.spec or
; installers/make_icons.py produces; tests/installers/test_installer_paths.py checks that.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "关爱簿"
#define BundleDir "..\..\dist\carebook"
#define IconFile "..\..\build\icons\carebook.ico"
#define GuiExe "carebook.exe"
#define CliExe "carebook-cli.exe"

[Setup]
; A fixed AppId lets a newer installer upgrade the old one in place.
AppId={{6C1E6A2B-5B7C-4F57-9E55-3C2A0D8B7F41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=carebook
; Per-user install: no administrator rights, into %LOCALAPPDATA%\Programs\carebook.
PrivilegesRequired=lowest
DefaultDirName={autopf}\carebook
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
; carebook opens workbooks from its own menus: it claims no file type.
ChangesAssociations=no
ChangesEnvironment=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=carebook-setup-{#AppVersion}
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
; Installing must never need the network: everything is inside this one file.

[Languages]
; Needs Languages\ChineseSimplified.isl in the Inno Setup folder: newer releases ship it; where it
; is missing, copy it there from Inno Setup's translations page (installers/README.md).
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[CustomMessages]
chinesesimplified.DesktopIcon=在桌面上创建“关爱簿”快捷方式
chinesesimplified.CommandLine=关爱簿命令行（备份、导入导出）
chinesesimplified.Launch=现在打开关爱簿
chinesesimplified.DataKept=关爱簿已卸载。%n%n您的台账数据和备份没有删除，仍在：%n%1%n%n备份文件夹：%n%1\backups%n%n如果使用过便携模式，数据在程序文件夹旁的 carebook-data 文件夹里。%n需要时可以重新安装关爱簿继续使用；确定不再需要时，才手动删除这些文件夹。

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: checkedonce

[Files]
Source: "{#BundleDir}\{#GuiExe}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\{#CliExe}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#IconFile}"; DestDir: "{app}"; DestName: "carebook.ico"; Flags: ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#GuiExe}"; IconFilename: "{app}\carebook.ico"; Comment: "留守儿童和困境儿童关爱台账"
; The window starts in the program folder: carebook-cli is not on PATH, and there cmd finds it
; when the worker types "carebook-cli restore ..." as the user guide says.
Name: "{group}\{cm:CommandLine}"; Filename: "{cmd}"; Parameters: "/k ""{app}\{#CliExe}"" --help"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; IconFilename: "{app}\carebook.ico"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:Launch}"; Flags: nowait postinstall skipifsilent

[Code]
// The data folder carebook uses on Windows (platformdirs: %LOCALAPPDATA%\carebook), unless
// CAREBOOK_HOME points elsewhere.
function DataFolder(): String;
begin
  Result := GetEnv('CAREBOOK_HOME');
  if Result = '' then
    Result := ExpandConstant('{localappdata}\carebook');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  // The data folder is never deleted: say where it stays.
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataFolder()]), mbInformation, MB_OK);
end;
