//! The headers subscription apps read beside the body (de-facto standard started by Clash for
//! Windows and followed by v2rayN, Shadowrocket, Hiddify, Happ, Clash Verge, FlClash and
//! others).

use base64::Engine;

use crate::format::Format;

/// Usage and limits of a whole subscription, for `subscription-userinfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub upload: u64,
    pub download: u64,
    /// Bytes allowed; 0 is unlimited.
    pub total: u64,
    /// Unix seconds of the end; 0 is never.
    pub expire: i64,
}

impl Usage {
    /// `upload=…; download=…; total=…; expire=…`.
    pub fn header(&self) -> String {
        format!(
            "upload={}; download={}; total={}; expire={}",
            self.upload,
            self.download,
            self.total,
            self.expire.max(0)
        )
    }
}

/// `profile-title`: plain when ASCII, else `base64:` and the UTF-8 bytes in base64 (the form
/// apps accept for names in any script).
pub fn profile_title(title: &str) -> String {
    if title.is_ascii() && !title.chars().any(|c| c.is_ascii_control()) {
        title.to_owned()
    } else {
        format!(
            "base64:{}",
            base64::engine::general_purpose::STANDARD.encode(title)
        )
    }
}

/// `content-disposition`: an ASCII file name for every app, and the real one in RFC 5987 form.
pub fn content_disposition(title: &str, format: Format) -> String {
    let ascii: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_. ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let ascii = if ascii.trim_matches('_').trim().is_empty() {
        "subscription".to_owned()
    } else {
        ascii.trim().to_owned()
    };
    let ext = format.file_extension();
    let encoded: String = url::form_urlencoded::byte_serialize(title.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    format!("attachment; filename=\"{ascii}.{ext}\"; filename*=UTF-8''{encoded}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_as_apps_read_them() {
        let u = Usage {
            upload: 0,
            download: 1_073_741_824,
            total: 53_687_091_200,
            expire: 1_767_225_600,
        };
        assert_eq!(
            u.header(),
            "upload=0; download=1073741824; total=53687091200; expire=1767225600"
        );
        assert_eq!(profile_title("NebulaLinks"), "NebulaLinks");
        assert_eq!(profile_title("نبولا"), "base64:2YbYqNmI2YTYpw==");
        assert_eq!(
            content_disposition("نبولا VPN", Format::Clash),
            "attachment; filename=\"_____ VPN.yaml\"; filename*=UTF-8''%D9%86%D8%A8%D9%88%D9%84%D8%A7%20VPN.yaml"
        );
    }
}
