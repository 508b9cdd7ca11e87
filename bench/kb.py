"""Knowledge-base benchmark: search p95 over 10,000 published articles.

    .venv/bin/python bench/kb.py --engine sqlite
    .venv/bin/python bench/kb.py --engine postgres --articles 10000

Articles are made of service-desk phrases (Chinese with an English version on
every third one), a quarter of them internal; 20 synonym groups. The queries
mix Chinese substrings of two to four characters (most match many articles),
English words, single characters, synonyms and misses; each runs through
``kefu.kb.selectors.search_articles`` (public and internal) exactly as the help
pages and the API call it, misses recorded. Suggestions from a customer's
message are timed too. Prints one JSON object. Not a test.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.desk import configure  # noqa: E402

PHRASES = [
    "卫生间渗水",
    "天花板水渍",
    "关闭总阀",
    "拍照上传",
    "预约上门",
    "维修师傅",
    "更换密封圈",
    "退换货流程",
    "申请退款",
    "发票抬头",
    "电子发票",
    "订单查询",
    "物流进度",
    "快递签收",
    "账户登录",
    "重置密码",
    "手机验证码",
    "绑定邮箱",
    "会员积分",
    "优惠券使用",
    "保修期限",
    "延保服务",
    "安装说明",
    "使用手册",
    "故障排查",
    "网络连接",
    "设备重启",
    "固件升级",
    "停电通知",
    "停水安排",
    "恢复供应",
    "服务中断",
    "投诉渠道",
    "满意度回访",
    "工作时间",
    "节假日安排",
    "人工客服",
    "在线留言",
    "电话回拨",
    "上门费用",
    "配件价格",
    "报价单",
    "合同条款",
    "押金退还",
    "地址变更",
    "联系人修改",
    "隐私保护",
    "数据导出",
    "注销账户",
]
ENGLISH = [
    "leak",
    "refund",
    "invoice",
    "password",
    "delivery",
    "warranty",
    "install",
    "reset",
    "outage",
    "repair",
    "account",
    "coupon",
    "contract",
    "deposit",
    "address",
    "privacy",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--smoke", action="store_true", help="seconds: 200 articles (make test)")
    args = parser.parse_args()
    if args.smoke:
        args.articles, args.queries = 200, 20
    configure(args.engine)

    from django.db import connection
    from django.utils import timezone

    from kefu.core.models import User
    from kefu.core.roles import Role
    from kefu.kb import selectors, text
    from kefu.kb.models import Article, ArticleVersion, Category, Section, Synonym

    rng = random.Random(19)
    now = timezone.now()
    author = User.objects.create(username="bench.kb", role=Role.TEAM_LEAD)
    sections = [
        Section.objects.create(slug=f"s{i}", name_zh=f"栏目{i}", name_en=f"Section {i}", position=i)
        for i in range(8)
    ]
    categories = [
        Category.objects.create(
            section=sections[i % 8], slug=f"c{i}", name_zh=f"分类{i}", name_en=f"Category {i}"
        )
        for i in range(40)
    ]
    started = time.perf_counter()
    articles = []
    for i in range(args.articles):
        title_zh = "".join(rng.sample(PHRASES, 2)) + "说明"
        body_zh = "，".join(rng.choices(PHRASES, k=rng.randint(20, 60))) + "。"
        english = i % 3 == 0
        title_en = " ".join(rng.sample(ENGLISH, 2)).capitalize() if english else ""
        body_en = " ".join(rng.choices(ENGLISH, k=80)) if english else ""
        articles.append(
            Article(
                slug=f"a{i}",
                category=categories[i % 40],
                audience="internal" if i % 4 == 0 else "public",
                live_audience="internal" if i % 4 == 0 else "public",
                status="published",
                title_zh=title_zh,
                title_en=title_en,
                body_zh=body_zh,
                body_en=body_en,
                version=1,
                created_by=author,
                created_at=now,
                updated_at=now,
                published_at=now,
                title_terms=text.search_terms(title_zh, title_en),
                body_terms=text.search_terms(body_zh, body_en),
            )
        )
    Article.objects.bulk_create(articles, batch_size=1000)
    ArticleVersion.objects.bulk_create(
        (
            ArticleVersion(
                article=article,
                number=1,
                action="published",
                category_id_snapshot=article.category_id,
                audience=article.audience,
                title_zh=article.title_zh,
                title_en=article.title_en,
                body_zh=article.body_zh,
                body_en=article.body_en,
                changed_by=author,
                changed_at=now,
            )
            for article in Article.objects.all()
        ),
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE kb_article SET published_version_id = (SELECT v.id FROM kb_articleversion v "
            "WHERE v.article_id = kb_article.id)"
        )
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE kb_article")
    for i in range(20):
        Synonym.objects.create(
            words=f"{PHRASES[i][:2]}{i} {PHRASES[i]}", created_by=author, created_at=now
        )
    load_seconds = time.perf_counter() - started

    queries: list[str] = []
    for _ in range(args.queries):
        kind = rng.random()
        phrase = rng.choice(PHRASES)
        if kind < 0.55:
            start = rng.randint(0, len(phrase) - 2)
            queries.append(phrase[start : start + rng.randint(2, 4)])
        elif kind < 0.7:
            queries.append(rng.choice(ENGLISH)[: rng.randint(3, 8)])
        elif kind < 0.8:
            queries.append(phrase[rng.randint(0, len(phrase) - 1)])
        elif kind < 0.9:
            queries.append(f"{PHRASES[rng.randint(0, 19)][:2]}{rng.randint(0, 19)}")
        else:
            queries.append(rng.choice(["量子纠缠", "火星基地", "zeppelin", "空气炸锅"]))

    def timed(call: object) -> list[float]:
        times = []
        for query in queries:
            begin = time.perf_counter()
            call(query)  # type: ignore[operator]
            times.append((time.perf_counter() - begin) * 1000)
        return times

    def p95(times: list[float]) -> float:
        return round(statistics.quantiles(times, n=100)[94], 2)

    public = timed(lambda q: selectors.search_articles(q, language="zh-hans"))
    internal = timed(lambda q: selectors.search_articles(q, language="en", audience="internal"))
    messages = [
        "你好，" + "，".join(rng.choices(PHRASES, k=rng.randint(2, 6))) + "，请问怎么处理？"
        for _ in range(100)
    ]
    suggest = []
    for message in messages:
        begin = time.perf_counter()
        selectors.suggest_articles(message, language="zh-hans")
        suggest.append((time.perf_counter() - begin) * 1000)
    print(
        json.dumps(
            {
                "engine": args.engine,
                "articles": args.articles,
                "queries": len(queries),
                "load_seconds": round(load_seconds, 1),
                "search_public_ms": {
                    "p50": round(statistics.median(public), 2),
                    "p95": p95(public),
                    "max": round(max(public), 2),
                },
                "search_internal_ms": {
                    "p50": round(statistics.median(internal), 2),
                    "p95": p95(internal),
                    "max": round(max(internal), 2),
                },
                "suggest_ms": {
                    "p50": round(statistics.median(suggest), 2),
                    "p95": p95(suggest),
                    "max": round(max(suggest), 2),
                },
                "machine": f"{platform.system()} {platform.machine()}, "
                f"Python {platform.python_version()}",
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
