"""Editorial review: the medical review workflow, publish rules and previews.

Editors submit pages to the “Medical review” workflow; a medical reviewer approves or
asks for changes; the approval stamps the reviewer's name and date on the page and
publishes it. Previews (in the admin and on an external front-end, through a signed
link) render the same JSON that the delivery API serves.
"""
