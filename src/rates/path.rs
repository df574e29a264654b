//! API paths as a card writes them, and as a log records them.
//!
//! A card's path is literal (`/v2beta/stable-image/generate/ultra`) or has whole segments
//! written `{name}` that match any one segment (`/v2beta/results/{id}`, the polling path
//! whose id differs on every call). A logged value may be a full URL with a query string;
//! [`normalize`] reduces it to the path the card is matched against.

/// Why a card's path is not one: the message for a diagnostic.
pub(super) fn check(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!(
            "endpoint '{path}' must be an API path starting with '/', such as /v2beta/stable-image/generate/core"
        ));
    }
    if path
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#'))
    {
        return Err(format!(
            "endpoint '{path}' must be a bare path: no spaces, query string or fragment"
        ));
    }
    for segment in path.split('/').skip(1) {
        let braces = segment.contains(['{', '}']);
        if braces && !is_placeholder(segment) {
            return Err(format!(
                "endpoint '{path}': a placeholder must be a whole segment, such as /v2beta/results/{{id}}"
            ));
        }
    }
    Ok(())
}

/// `{id}`: a segment that matches any one segment.
fn is_placeholder(segment: &str) -> bool {
    segment
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .is_some_and(|inner| !inner.is_empty() && !inner.contains(['{', '}']))
}

/// Whether `pattern` has a `{…}` segment.
pub fn is_pattern(pattern: &str) -> bool {
    pattern.split('/').any(is_placeholder)
}

/// Whether the path `path` (normalized) is one `pattern` describes.
pub fn matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w == g || (is_placeholder(w) && !g.is_empty()) => {}
            _ => return false,
        }
    }
}

/// The API path of a logged endpoint: the scheme and host of a full URL, a query
/// string, a fragment and one trailing slash are dropped (`https://api.stability.ai/v2beta/x/?a=1`
/// is `/v2beta/x`). Paths stay case-sensitive, as the API's are.
pub fn normalize(raw: &[u8]) -> &[u8] {
    let mut p = raw;
    if let Some(i) = memchr::memmem::find(p, b"://") {
        let host_and_path = p.get(i + 3..).unwrap_or_default();
        p = memchr::memchr(b'/', host_and_path)
            .and_then(|j| host_and_path.get(j..))
            .unwrap_or(b"/");
    }
    if let Some(q) = memchr::memchr2(b'?', b'#', p) {
        p = p.get(..q).unwrap_or_default();
    }
    if let [rest @ .., b'/'] = p {
        if !rest.is_empty() {
            p = rest;
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_one_whole_segment() {
        assert!(matches("/v2beta/results/{id}", "/v2beta/results/3f1c"));
        assert!(!matches("/v2beta/results/{id}", "/v2beta/results/"));
        assert!(!matches("/v2beta/results/{id}", "/v2beta/results/a/b"));
        assert!(!matches("/v2beta/results/{id}", "/v2beta/results"));
        assert!(matches("/v1/user/balance", "/v1/user/balance"));
        assert!(!matches("/v1/user/balance", "/v1/user/Balance"));
        assert!(is_pattern("/v2beta/results/{id}"));
        assert!(!is_pattern("/v1/user/balance"));
    }

    #[test]
    fn card_paths_are_checked() {
        assert!(check("/v2beta/results/{id}").is_ok());
        assert!(check("v2beta/x").is_err());
        assert!(check("/v2beta/x?y=1").is_err());
        assert!(check("/v2beta/x y").is_err());
        assert!(check("/v2beta/a{id}").is_err());
        assert!(check("/v2beta/{}").is_err());
    }

    #[test]
    fn logged_values_are_reduced_to_their_path() {
        let n = |s: &str| String::from_utf8(normalize(s.as_bytes()).to_vec()).unwrap();
        assert_eq!(
            n("https://api.stability.ai/v2beta/stable-image/generate/sd3?x=1"),
            "/v2beta/stable-image/generate/sd3"
        );
        assert_eq!(n("/v2beta/x/"), "/v2beta/x");
        assert_eq!(n("/v2beta/x#frag"), "/v2beta/x");
        assert_eq!(n("/"), "/");
        assert_eq!(n("https://api.stability.ai"), "/");
        assert_eq!(n("http://h/"), "/");
    }
}
