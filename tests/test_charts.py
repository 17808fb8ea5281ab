import re

from django.template.loader import render_to_string

from reports.charts import Series, column_chart


def test_column_chart_svg_prints_coordinates_to_a_tenth_of_a_pixel():
    chart = column_chart(
        id="c",
        title="Hoạt động",
        description="Theo tháng",
        columns=[(1, "T1"), (2, "T2"), (3, "T3")],
        series=[Series("all", "", "#1a73e8")],
        value=lambda month, _series: month,
    )

    svg = render_to_string("reports/chart.svg", {"chart": chart})

    # Three columns in 428 px: slots of 142.67 px, bars of 48 px in their middle; 60 px a unit.
    assert re.findall(r"<rect [^>]*>", svg) == [
        '<rect x="91.3" y="132.0" width="48.0" height="60.0" fill="#1a73e8">',
        '<rect x="234.0" y="72.0" width="48.0" height="120.0" fill="#1a73e8">',
        '<rect x="376.7" y="12.0" width="48.0" height="180.0" fill="#1a73e8">',
    ]
    assert (
        re.findall(r"<line [^>]*>", svg)[0] == '<line x1="44.0" y1="192.0" x2="472.0" y2="192.0"/>'
    )
