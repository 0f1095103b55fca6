//! The proxy variables of the environment, read the way curl (and hyper-util) read them: the
//! upper-case name first, then the lower-case one; an empty value is unset.

/// The proxy variables that matter for `https://` URLs, each with the variable it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvProxy {
    /// `HTTPS_PROXY`/`https_proxy`, else `ALL_PROXY`/`all_proxy`: (variable, value).
    pub https: Option<(String, String)>,
    /// `HTTP_PROXY`/`http_proxy` (for `http://` URLs; recorded only).
    pub http: Option<(String, String)>,
    /// `NO_PROXY`/`no_proxy`.
    pub no_proxy: Option<(String, String)>,
}

impl EnvProxy {
    /// Reads the variables through `get` (the process environment, or a test's map). Pure.
    #[must_use]
    pub fn read(get: impl Fn(&str) -> Option<String>) -> EnvProxy {
        let first = |names: &[&str]| {
            names.iter().find_map(|name| {
                get(name)
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty())
                    .map(|v| ((*name).to_owned(), v))
            })
        };
        EnvProxy {
            https: first(&["HTTPS_PROXY", "https_proxy"])
                .or_else(|| first(&["ALL_PROXY", "all_proxy"])),
            // A CGI program's HTTP_PROXY may come from a request header ("httpoxy"): ignore it.
            http: if get("REQUEST_METHOD").is_some() {
                None
            } else {
                first(&["HTTP_PROXY", "http_proxy"])
            },
            no_proxy: first(&["NO_PROXY", "no_proxy"]),
        }
    }
}

#[cfg(test)]
impl EnvProxy {
    /// The variables of a test's `(name, value)` pairs.
    pub(crate) fn of(pairs: &[(&str, &str)]) -> EnvProxy {
        EnvProxy::read(|name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }
}
