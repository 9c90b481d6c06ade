"""Every page type renders with its blocks; product blocks show only purchasable products."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images.models import Image

from catalog.models import ListingStatus
from frontend.models import NewsAttachment, NewsPage, StandardPage, StoryPage, StoryProduct
from tests.factories.catalog import ProductFactory, SupplierFactory
from tests.support.wagtail import root_collection

from .conftest import publish, stream

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def make_image(title="封面") -> Image:
    root_collection()
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "#2e7d32").save(buffer, "PNG")
    return Image.objects.create(title=title, file=ContentFile(buffer.getvalue(), "cover.png"))


def make_document(title="填报模板", name="template.csv", data=b"a,b\n1,2\n"):
    root_collection()
    Document = get_document_model()
    document = Document(title=title)
    document.file.save(name, ContentFile(data), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


@pytest.fixture
def every_block(catalogue):
    image = make_image()
    document = make_document()
    return stream(
        ("rich_text", "<h2>年度工作</h2><p>新增农村电商主体<b>205家</b>。</p>"),
        ("image", {"image": image.pk, "caption": "塔山石榴园", "alt": "石榴园"}),
        (
            "product_grid",
            {
                "title": "手选好物",
                "source": "chosen",
                "products": [
                    {"type": "item", "value": catalogue["hidden"].pk, "id": "h"},
                    {"type": "item", "value": catalogue["rice"].pk, "id": "r"},
                    {"type": "item", "value": catalogue["pomegranate"].pk, "id": "p"},
                ],
                "county": "",
                "limit": 8,
            },
        ),
        (
            "product_grid",
            {
                "title": "濉溪县新品",
                "source": "county",
                "products": [],
                "county": "340621",
                "limit": 8,
            },
        ),
        ("supplier_card", {"supplier": catalogue["supplier"].pk, "note": "合作社+基地+脱贫户"}),
        ("statistics", {"title": "帮扶成效", "figures": ["supplier_count", "product_count"]}),
        (
            "call_to_action",
            {
                "title": "预算单位如何采购？",
                "text": "一站完成。",
                "button_text": "查看采购指南",
                "page": None,
                "url": "/procurement/",
            },
        ),
        (
            "table",
            {
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
                "table_caption": "主要指标",
                "data": [["指标", "数值"], ["网络零售额", "15.98亿元"]],
            },
        ),
        ("document", {"document": document.pk, "title": "下载填报模板"}),
    )


def test_a_standard_page_renders_every_block(client, tree, every_block, catalogue):
    page = publish(tree["home"], StandardPage(title="采购指南", slug="guide", body=every_block))

    body = html(client.get(page.url))

    assert "<h2>年度工作</h2>" in body and "<b>205家</b>" in body
    assert "塔山石榴园" in body and 'alt="石榴园"' in body
    assert "手选好物" in body
    assert "濉溪县新品" in body
    assert "合作社+基地+脱贫户" in body and "淮北塔山石榴专业合作社" in body
    assert "帮扶成效" in body and "认定供应商（家）" in body and "平台销售额" not in body
    assert 'href="/procurement/"' in body and "查看采购指南" in body
    assert "<caption>主要指标</caption>" in body and "<td>15.98亿元</td>" in body
    assert "下载填报模板" in body and "CSV" in body
    assert "<title>采购指南 | 惠农集市</title>" in body
    assert '<link rel="canonical" href="http://localhost/guide/">' in body


def test_product_blocks_show_only_purchasable_products_in_the_chosen_order(
    client, tree, every_block, catalogue
):
    page = publish(tree["home"], StandardPage(title="采购指南", slug="guide", body=every_block))

    response = client.get(page.url)
    body = html(response)

    assert "未认定商家的石榴" not in body
    chosen = body[body.index("手选好物") : body.index("濉溪县新品")]
    assert chosen.index("濉溪大米 10kg") < chosen.index("塔山石榴 精品礼盒 6枚装")
    county = body[body.index("濉溪县新品") : body.index("合作社+基地+脱贫户")]
    assert "濉溪大米 10kg" in county and "濉溪葡萄 5斤装" in county
    assert "塔山石榴 精品礼盒 6枚装" not in county

    # Delisting a chosen product takes it off the page at once.
    catalogue["rice"].listing_status = ListingStatus.DELISTED
    catalogue["rice"].save()
    body = html(client.get(page.url))
    assert "濉溪大米 10kg" not in body
    assert "塔山石榴 精品礼盒 6枚装" in body


def test_a_news_page_shows_its_category_date_summary_cover_and_attachments(client, tree):
    page = NewsPage(
        title="关于做好预留份额填报工作的通知",
        slug="filing",
        category="policy",
        date=datetime.date(2024, 2, 26),
        summary="各预算单位应按时填报。",
        cover_image=make_image(),
        body=stream(("rich_text", "<p>填报对象：全市各级预算单位。</p>")),
    )
    page.attachments = [NewsAttachment(document=make_document(), title="预留份额填报模板")]
    publish(tree["news_index"], page)

    body = html(client.get(page.url))

    assert "政策文件" in body and "2024年2月26日" in body
    assert "各预算单位应按时填报。" in body and "填报对象：全市各级预算单位。" in body
    assert "预留份额填报模板" in body and "/documents/" in body
    assert 'property="og:image"' in body


def test_the_news_index_lists_news_newest_first_and_filters_by_category(client, tree, news):
    publish(
        tree["news_index"],
        NewsPage(
            title="供应商认定申报通知",
            slug="notice",
            category="notice",
            date=datetime.date(2024, 3, 12),
        ),
    )

    body = html(client.get(tree["news_index"].url))
    assert body.index("供应商认定申报通知") < body.index("我市2023年消费帮扶工作成效明显")

    body = html(client.get(tree["news_index"].url, {"category": "work"}))
    assert "我市2023年消费帮扶工作成效明显" in body
    assert "供应商认定申报通知" not in body


def test_a_county_pavilion_shows_its_certified_suppliers_and_listed_products_live(
    client, tree, catalogue, regions
):
    page = tree["suixi"]
    body = html(client.get(page.url))

    assert "濉溪县消费帮扶馆" in body and "千年古镇临涣" in body
    assert "濉溪大米 10kg" in body and "濉溪葡萄 5斤装" in body
    assert "塔山石榴 精品礼盒 6枚装" not in body  # 烈山区
    assert "濉溪县濉河农业发展有限公司" in body
    assert "淮北塔山石榴专业合作社" not in body.split("认定供应商")[-1]

    # A new listed product of the county appears without touching the page.
    ProductFactory(
        title="临涣棒棒茶 250g 罐装",
        origin_region=regions["濉溪镇"],
        stockrecord__partner=SupplierFactory(
            name="濉溪县临涣古镇茶业商行", region=regions["濉溪镇"]
        ),
    )
    body = html(client.get(page.url))
    assert "临涣棒棒茶 250g 罐装" in body
    assert "濉溪县临涣古镇茶业商行" in body


def test_a_county_pavilion_page_runs_a_constant_number_of_queries(client, tree, catalogue, regions):
    supplier = SupplierFactory(name="濉溪县百善镇康林土鸡养殖家庭农场", region=regions["濉溪镇"])

    def queries() -> int:
        client.get(tree["suixi"].url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(tree["suixi"].url).status_code == 200
        return len(ctx)

    ProductFactory(origin_region=regions["濉溪县"], stockrecord__partner=supplier)
    few = queries()
    for _ in range(8):
        ProductFactory(origin_region=regions["濉溪县"], stockrecord__partner=supplier)
    assert queries() == few


def test_a_story_shows_its_supplier_and_its_purchasable_products(client, tree, catalogue):
    story = StoryPage(
        title="跨村联营 托管运营",
        slug="lieshan",
        supplier=catalogue["supplier"],
        summary="烈山镇走出农旅融合新路径。",
        body=stream(("rich_text", "<p>榴园村牵头，周边村抱团发展。</p>")),
    )
    story.linked_products = [
        StoryProduct(product=catalogue["pomegranate"], sort_order=0),
        StoryProduct(product=catalogue["hidden"], sort_order=1),
    ]
    publish(tree["story_index"], story)

    body = html(client.get(story.url))
    assert "榴园村牵头" in body and "淮北塔山石榴专业合作社" in body
    assert "塔山石榴 精品礼盒 6枚装" in body
    assert "未认定商家的石榴" not in body

    index = html(client.get(tree["story_index"].url))
    assert "跨村联营 托管运营" in index and "烈山镇走出农旅融合新路径。" in index


def test_the_home_page_shows_latest_news_pavilion_links_and_live_statistics(
    client, tree, news, catalogue
):
    body = html(client.get("/"))

    assert "我市2023年消费帮扶工作成效明显" in body
    assert 'href="/pavilions/suixi/"' in body  # 濉溪县 links to its pavilion page
    assert "/shop/catalogue/?origin=340604" in body  # 烈山区 has none: the shop's filter
    assert "认定供应商（家）" in body


def test_home_page_sections_are_editable(client, tree, news, catalogue):
    home = tree["home"].specific
    home.show_news = False
    home.show_statistics = False
    home.pavilions_title = "一县三区特色馆"
    home.body = stream(("rich_text", "<p>春季农产品展销会即将开幕。</p>"))
    home.save_revision().publish()

    body = html(client.get("/"))
    assert "我市2023年消费帮扶工作成效明显" not in body
    assert "认定供应商（家）" not in body
    assert "一县三区特色馆" in body
    assert "春季农产品展销会即将开幕。" in body


def test_the_home_page_query_count_does_not_grow_with_news(client, tree, news, catalogue):
    def queries() -> int:
        client.get("/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx)

    few = queries()
    for i in range(3):
        publish(
            tree["news_index"],
            NewsPage(title=f"工作动态{i}", slug=f"work-{i}", cover_image=make_image()),
        )
    assert queries() == few


def test_every_block_has_a_preview_in_the_block_picker(catalogue, rf):
    from django.contrib.auth.models import AnonymousUser

    from frontend.blocks import BodyBlock
    from suppliers.strategy import Selector

    make_image()
    make_document()
    request = rf.get("/")
    request.user = AnonymousUser()
    request.strategy = Selector().strategy(request=request)
    for name, block in BodyBlock().child_blocks.items():
        assert block.is_previewable, name
        assert block.meta.description, name
        html = block.render(block.get_preview_value(), context={"request": request})
        assert html.strip(), name
