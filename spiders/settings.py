"""Scrapy settings for plenty's crawls: polite, bounded defaults that the runner may override.

Loaded by ``spiders.crawl`` at "project" priority; ``--user-agent``, ``--http-cache`` and ``--set`` override them.
"""

BOT_NAME = "plenty"
SPIDER_MODULES = ["spiders.sources"]
NEWSPIDER_MODULE = "spiders.sources"

USER_AGENT = "plenty-jobs/0.1 (+https://github.com/plenty-jobs/plenty; job-search recommender)"
ROBOTSTXT_OBEY = True
# One robots.txt request per host per crawl process, however many of its boards the process reads.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "spiders.robots.SharedRobotsTxtMiddleware": 100,
}

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 2.0
# Seconds between requests to one board API, per source kind; applied by each spider at "spider" priority.
DOWNLOAD_DELAYS = {
    "greenhouse": 1.0,
    "lever": 1.0,
    "ashby": 1.0,
    "workable": 1.0,
    "smartrecruiters": 1.0,  # one list page per 100 postings, then one detail request per posting
    "recruitee": 1.0,
    "personio": 1.0,
    "remotive": 30.0,  # one request per crawl anyway; see REFETCH_AFTER_SECONDS
    "remoteok": 10.0,
    "arbeitnow": 3.0,
    "hn": 0.5,  # one request per top-level comment of a thread
    "jsonld": 3.0,  # career sites, not APIs: pages of someone's website
}
# Sources whose terms limit how often their API may be called. A response younger than this is answered from a
# cache (TERMS_CACHE_DIR), so however often plenty runs, the source sees at most one call per period.
# Remotive: "we advise max. 4 times a day".
REFETCH_AFTER_SECONDS = {
    "remotive": 6 * 3600,
}
# Where those responses are kept; None: "$PLENTY_HOME/cache/terms" (PLENTY_HOME default ~/.plenty).
TERMS_CACHE_DIR = None
# The attribution each source's terms require, kept on every posting it yields (``credit``) for display.
SOURCE_CREDITS = {
    "remotive": "Remotive",
    "remoteok": "Remote OK",
}
# Whole-board aggregators are paged; a crawl stops (incomplete: closes nothing) after this many pages.
MAX_PAGES = 50
DOWNLOAD_TIMEOUT = 60

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]

# Off by default; ``python -m spiders.crawl --http-cache DIR`` turns it on with DIR.
HTTPCACHE_ENABLED = False
HTTPCACHE_EXPIRATION_SECS = 0
HTTPCACHE_IGNORE_HTTP_CODES = [429, 500, 502, 503, 504]

ITEM_PIPELINES = {
    "spiders.pipelines.ValidatePostingPipeline": 100,
    "spiders.sanity.SanePostingPipeline": 150,
    "spiders.pipelines.DedupePostingPipeline": 200,
    "spiders.pipelines.ExpiredPostingPipeline": 300,
}

FEED_EXPORT_ENCODING = "utf-8"
FEED_STORE_EMPTY = True

LOG_LEVEL = "INFO"
LOG_STDOUT = False  # logs go to stderr; stdout stays free for the caller

# Unattended nightly crawls need no live console; Scrapy's remote control would also open a local port that
# runs Python code and leave a job file with its token behind for every crawl.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = False
