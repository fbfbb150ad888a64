//! Secrets (signing keys, panel and bot tokens, passwords) come from an environment variable or a
//! file, never from the config itself. One reader for the gateway's config and the shop's, so a
//! missing or empty secret is reported the same way on both sides, always by name, never by value.

use std::path::{Path, PathBuf};

/// Why a secret could not be read; `what` names it for the operator.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("{what}: the environment variable {var} is not set")]
    NotSet { what: String, var: String },
    #[error("{what}: cannot read {}: {error}", path.display())]
    Read {
        what: String,
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{what} is empty")]
    Empty { what: String },
}

/// Off only in the config fuzz target: a fuzzed path such as `/dev/zero` would hang it.
#[cfg(feature = "fuzzing")]
pub static FILES_OFF: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A file a config names (a secret, a CA certificate), read whole.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    #[cfg(feature = "fuzzing")]
    if FILES_OFF.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(std::io::Error::other("configs read no files while fuzzing"));
    }
    std::fs::read(path)
}

/// The secret from `env` (preferred) or else `file`, with a trailing line break trimmed;
/// `Ok(None)` when neither is configured, so the caller says what it wants instead.
pub fn read(
    what: &str,
    env: Option<&str>,
    file: Option<&Path>,
) -> Result<Option<String>, SecretError> {
    let value = match (env, file) {
        (Some(var), _) => std::env::var(var).map_err(|_| SecretError::NotSet {
            what: what.into(),
            var: var.into(),
        })?,
        (None, Some(path)) => read_file(path)
            .and_then(|bytes| String::from_utf8(bytes).map_err(std::io::Error::other))
            .map_err(|error| SecretError::Read {
                what: what.into(),
                path: path.into(),
                error,
            })?,
        (None, None) => return Ok(None),
    };
    let value = value.trim_end_matches(['\n', '\r']);
    if value.trim().is_empty() {
        return Err(SecretError::Empty { what: what.into() });
    }
    Ok(Some(value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_secret_loses_its_line_break_and_an_empty_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let good = dir.join("good");
        std::fs::write(&good, "s3cret\n").unwrap();
        let blank = dir.join("blank");
        std::fs::write(&blank, " \n").unwrap();

        assert_eq!(
            read("key k", None, Some(&good)).unwrap().as_deref(),
            Some("s3cret")
        );
        let empty = read("key k", None, Some(&blank)).unwrap_err();
        assert_eq!(empty.to_string(), "key k is empty");
        let missing = read("key k", None, Some(&dir.join("absent"))).unwrap_err();
        assert!(
            missing.to_string().starts_with("key k: cannot read "),
            "{missing}"
        );
        let unset = read("key k", Some("NEBULA_TEST_SURELY_UNSET_VAR"), Some(&good)).unwrap_err();
        assert_eq!(
            unset.to_string(),
            "key k: the environment variable NEBULA_TEST_SURELY_UNSET_VAR is not set"
        );
        assert!(read("key k", None, None).unwrap().is_none());
    }
}
