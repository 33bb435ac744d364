//! The two languages every message exists in, and how the default is chosen.
//!
//! Municipal staff read Japanese; everybody else gets English. The default follows the locale
//! (`LC_ALL`, `LC_MESSAGES`, `LANG`, then the operating system's setting, which is how a Japanese
//! Windows PC says so); `--lang` overrides it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A message language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 日本語
    Ja,
    /// English
    #[default]
    En,
}

impl Lang {
    /// The language the environment asks for.
    pub fn detect() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if !v.is_empty() {
                    return Lang::from_locale(&v);
                }
            }
        }
        sys_locale::get_locale().map(|l| Lang::from_locale(&l)).unwrap_or_default()
    }

    /// `ja_JP.UTF-8`, `ja-JP`, `ja` → Japanese; anything else → English.
    pub fn from_locale(locale: &str) -> Lang {
        let l = locale.trim().to_ascii_lowercase();
        if l == "ja" || l.starts_with("ja_") || l.starts_with("ja-") || l.starts_with("ja.") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// Chooses between the two texts.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

/// A message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Msg {
    pub ja: String,
    pub en: String,
}

impl Msg {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Msg {
        Msg { ja: ja.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.ja, &self.en)
    }
}

/// A detail with no translation (a library's error text, a part name): the same in both
/// languages.
impl From<String> for Msg {
    fn from(text: String) -> Msg {
        Msg { ja: text.clone(), en: text }
    }
}

impl From<&str> for Msg {
    fn from(text: &str) -> Msg {
        Msg::from(text.to_string())
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales() {
        for l in ["ja_JP.UTF-8", "ja-JP", "ja", "JA_JP.eucJP"] {
            assert_eq!(Lang::from_locale(l), Lang::Ja, "{l}");
        }
        for l in ["en_US.UTF-8", "C", "POSIX", "", "jav_ID"] {
            assert_eq!(Lang::from_locale(l), Lang::En, "{l}");
        }
    }
}
