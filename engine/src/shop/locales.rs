//! Which language each shopper reads: what they chose in the shop, else the locale their last
//! interaction came in. The engine keeps the tag and nothing else; what a tag means (which
//! languages exist, how one is picked) is the bot's business.

use serde::{Deserialize, Serialize};

use super::Shop;
use crate::error::{Invalid, ShopError};
use crate::ids::UserId;
use crate::store::{self, tables::*};

/// A shopper's language, as the bot last recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopperLocale {
    /// A BCP 47 tag (`fa`, `zh-CN`).
    pub tag: String,
    /// Chosen by the shopper (kept until they choose again), rather than seen on an
    /// interaction (replaced by the next one).
    pub chosen: bool,
}

/// The longest tag kept; Discord's are at most 5 characters.
pub const MAX_TAG: usize = 16;

/// A tag is letters, digits and hyphens, at most [`MAX_TAG`] long. Pure.
pub fn check_tag(tag: &str) -> Result<(), Invalid> {
    let ok = !tag.is_empty()
        && tag.len() <= MAX_TAG
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            "locale",
            format!("{tag:?} is not a language tag"),
        ))
    }
}

impl Shop {
    /// The shopper's language, if the shop has seen or been told one.
    pub async fn shopper_locale(
        &self,
        shopper: UserId,
    ) -> Result<Option<ShopperLocale>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            Ok(store::get::<u64, ShopperLocale>(
                &read.open_table(SHOPPER_LOCALES)?,
                SHOPPER_LOCALES_NAME,
                shopper.0,
            )?)
        })
        .await
    }

    /// Records the shopper's language. Nothing is written when it is what is stored already
    /// (most interactions), and a seen locale never replaces a chosen one.
    pub async fn remember_locale(
        &self,
        shopper: UserId,
        locale: ShopperLocale,
    ) -> Result<(), ShopError> {
        check_tag(&locale.tag)?;
        let stored = self.shopper_locale(shopper).await?;
        if !needs_writing(stored.as_ref(), &locale) {
            return Ok(());
        }
        self.core
            .writer
            .write_async(move |_, txn| {
                let mut table = txn.open_table(SHOPPER_LOCALES)?;
                let stored: Option<ShopperLocale> =
                    store::get(&table, SHOPPER_LOCALES_NAME, shopper.0)?;
                if needs_writing(stored.as_ref(), &locale) {
                    store::put(&mut table, shopper.0, &locale)?;
                }
                Ok(())
            })
            .await
    }
}

/// Whether `new` changes what is stored: a choice always does (if different); a seen locale
/// only replaces another seen one. Pure.
fn needs_writing(stored: Option<&ShopperLocale>, new: &ShopperLocale) -> bool {
    match stored {
        None => true,
        Some(s) if s == new => false,
        Some(s) => new.chosen || !s.chosen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(tag: &str, chosen: bool) -> ShopperLocale {
        ShopperLocale {
            tag: tag.into(),
            chosen,
        }
    }

    #[test]
    fn a_choice_outlasts_what_is_seen() {
        assert!(needs_writing(None, &l("ru", false)));
        assert!(!needs_writing(Some(&l("ru", false)), &l("ru", false)));
        assert!(needs_writing(Some(&l("ru", false)), &l("tr", false)));
        assert!(!needs_writing(Some(&l("fa", true)), &l("en", false)));
        assert!(needs_writing(Some(&l("fa", true)), &l("en", true)));
        assert!(needs_writing(Some(&l("fa", false)), &l("fa", true)));
    }

    #[test]
    fn tags_are_checked() {
        assert!(check_tag("zh-CN").is_ok());
        assert!(check_tag("").is_err());
        assert!(check_tag("fa; drop").is_err());
        assert!(check_tag(&"a".repeat(17)).is_err());
    }
}
