#!/bin/sh
# Remove the program installed by install.sh. The data and backups stay where they are.
set -eu
DATA_HOME=${XDG_DATA_HOME:-"$HOME/.local/share"}
rm -rf "$DATA_HOME/carebook-app"
rm -f "$HOME/.local/bin/carebook" "$HOME/.local/bin/carebook-cli"
rm -f "$DATA_HOME/applications/carebook.desktop"
find "$DATA_HOME/icons/hicolor" -name 'carebook.png' -delete 2>/dev/null || true
rm -f "$DATA_HOME/icons/hicolor/scalable/apps/carebook.svg"
echo "关爱簿已卸载。"
echo "您的数据和备份没有删除，仍在：$DATA_HOME/carebook （备份在其中的 backups 文件夹）"
