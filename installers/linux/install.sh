#!/bin/sh
# Install carebook for this user only: no root, no network.
# Copies the program to ~/.local/share/carebook-app, puts `carebook` in ~/.local/bin and adds
# 关爱簿 to the user's application menu. Run again to upgrade; ./uninstall.sh removes the program
# (never the data).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA_HOME=${XDG_DATA_HOME:-"$HOME/.local/share"}
APP_DIR="$DATA_HOME/carebook-app"
BIN_DIR="$HOME/.local/bin"

if [ ! -x "$HERE/carebook/carebook" ]; then
    echo "安装失败：在 $HERE 里找不到 carebook/carebook，请先完整解压安装包。" >&2
    exit 1
fi

mkdir -p "$APP_DIR" "$BIN_DIR" "$DATA_HOME/applications"
# Replace the old program folder as a whole so no stale library from an older version stays.
rm -rf "$APP_DIR.new"
cp -R "$HERE/carebook" "$APP_DIR.new"
rm -rf "$APP_DIR"
mv "$APP_DIR.new" "$APP_DIR"
ln -sf "$APP_DIR/carebook" "$BIN_DIR/carebook"
ln -sf "$APP_DIR/carebook-cli" "$BIN_DIR/carebook-cli"

for icon in "$HERE"/icons/carebook-*.png; do
    size=$(basename "$icon" .png | sed 's/carebook-//')
    target="$DATA_HOME/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$target"
    cp "$icon" "$target/carebook.png"
done
mkdir -p "$DATA_HOME/icons/hicolor/scalable/apps"
cp "$HERE/icons/carebook.svg" "$DATA_HOME/icons/hicolor/scalable/apps/carebook.svg"

sed "s|@EXEC@|$APP_DIR/carebook|" "$HERE/carebook.desktop" > "$DATA_HOME/applications/carebook.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA_HOME/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA_HOME/icons/hicolor" || true

echo "关爱簿已安装到 $APP_DIR"
echo "可从应用程序菜单打开“关爱簿”，或在终端运行 carebook。"
echo "数据保存在 ${XDG_DATA_HOME:-$HOME/.local/share}/carebook（卸载程序不会删除它）。"
