package profiles

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// ConfigDir resolves certwiz's config folder: the flag value, else
// $CERTWIZ_CONFIG_DIR, else $XDG_CONFIG_HOME/certwiz, else
// ~/.config/certwiz (%AppData%\certwiz on Windows).
func ConfigDir(flag string) (string, error) {
	switch {
	case flag != "":
		return flag, nil
	case os.Getenv("CERTWIZ_CONFIG_DIR") != "":
		return os.Getenv("CERTWIZ_CONFIG_DIR"), nil
	case os.Getenv("XDG_CONFIG_HOME") != "":
		return filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "certwiz"), nil
	case runtime.GOOS == "windows" && os.Getenv("AppData") != "":
		return filepath.Join(os.Getenv("AppData"), "certwiz"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", errors.New("no config folder: set --config-dir or CERTWIZ_CONFIG_DIR")
	}
	return filepath.Join(home, ".config", "certwiz"), nil
}

// StateDir resolves the folder for history: $CERTWIZ_STATE_DIR, else
// $XDG_STATE_HOME/certwiz, else ~/.local/state/certwiz
// (%LocalAppData%\certwiz on Windows).
func StateDir() (string, error) {
	switch {
	case os.Getenv("CERTWIZ_STATE_DIR") != "":
		return os.Getenv("CERTWIZ_STATE_DIR"), nil
	case os.Getenv("XDG_STATE_HOME") != "":
		return filepath.Join(os.Getenv("XDG_STATE_HOME"), "certwiz"), nil
	case runtime.GOOS == "windows" && os.Getenv("LocalAppData") != "":
		return filepath.Join(os.Getenv("LocalAppData"), "certwiz"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", errors.New("no state folder: set CERTWIZ_STATE_DIR")
	}
	return filepath.Join(home, ".local", "state", "certwiz"), nil
}
