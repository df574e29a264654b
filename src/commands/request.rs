//! The "high" arguments (ripgrep's split): what each command was asked, as engine types,
//! made once from clap's "low" ones at the edge. A front end other than the command
//! line (the web calculator) builds the same requests.

use crate::cli::CompareArgs;
use rust_decimal::Decimal;

/// `stabcost compare`: the volume or budget, the steps after each generation, the
/// diffusion steps of step-scaled models, and GPUs to self-host on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compare {
    pub volume: Volume,
    /// The `--with` expression as written (`-`: standard input).
    pub with: Option<String>,
    pub steps: Option<u32>,
    /// Self-hosting on GPUs (never with a budget).
    pub gpu: Option<Gpu>,
}

/// How many images `compare` prices, or what it spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Volume {
    Images(u64),
    /// `users × per_user` images.
    Users {
        users: u64,
        per_user: u64,
    },
    /// How many images this many dollars buy on each model.
    Budget(Decimal),
}

/// GPUs to self-host on: an image every `seconds_per_image`, at an hourly price (an
/// estimate of GPU time), a monthly one (dedicated GPUs and break-even volumes), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gpu {
    pub seconds_per_image: Decimal,
    pub hourly_usd: Option<Decimal>,
    pub monthly_usd: Option<Decimal>,
}

impl From<&CompareArgs> for Compare {
    /// clap's groups guarantee one volume, `--users` with `--per-user`, and
    /// `--seconds-per-image` with a GPU price.
    fn from(args: &CompareArgs) -> Compare {
        let volume = match (args.budget, args.images, args.users, args.per_user) {
            (Some(usd), ..) => Volume::Budget(usd),
            (None, Some(n), ..) => Volume::Images(n),
            (None, None, Some(users), Some(per_user)) => Volume::Users { users, per_user },
            // clap requires a volume; none is no images.
            _ => Volume::Images(0),
        };
        let gpu = args.seconds_per_image.map(|seconds_per_image| Gpu {
            seconds_per_image,
            hourly_usd: args.gpu_hourly,
            monthly_usd: args.gpu_monthly,
        });
        Compare {
            volume,
            with: args.with.clone(),
            steps: args.steps,
            gpu,
        }
    }
}
