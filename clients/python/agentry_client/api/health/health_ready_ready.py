from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.not_ready import NotReady
from ...models.problem import Problem
from ...models.readiness import Readiness
from typing import cast



def _get_kwargs(
    
) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/health/ready",
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> NotReady | NotReady | Readiness | Problem | None:
    if response.status_code == 200:
        def _parse_response_200(data: object) -> NotReady | Readiness:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = Readiness.from_dict(data)



                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = NotReady.from_dict(data)



            return response_200_type_1

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 503:
        response_503 = NotReady.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[NotReady | NotReady | Readiness | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,

) -> Response[NotReady | NotReady | Readiness | Problem]:
    """ The database and the broker answer

     Open to anyone; with an admin's token the answer also holds each check (`checks`), the AI gateways'
    among them (reported, not required). `/health` is the same as `/health/ready`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NotReady | NotReady | Readiness | Problem]
     """


    kwargs = _get_kwargs(
        
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,

) -> NotReady | NotReady | Readiness | Problem | None:
    """ The database and the broker answer

     Open to anyone; with an admin's token the answer also holds each check (`checks`), the AI gateways'
    among them (reported, not required). `/health` is the same as `/health/ready`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NotReady | NotReady | Readiness | Problem
     """


    return sync_detailed(
        client=client,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,

) -> Response[NotReady | NotReady | Readiness | Problem]:
    """ The database and the broker answer

     Open to anyone; with an admin's token the answer also holds each check (`checks`), the AI gateways'
    among them (reported, not required). `/health` is the same as `/health/ready`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NotReady | NotReady | Readiness | Problem]
     """


    kwargs = _get_kwargs(
        
    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,

) -> NotReady | NotReady | Readiness | Problem | None:
    """ The database and the broker answer

     Open to anyone; with an admin's token the answer also holds each check (`checks`), the AI gateways'
    among them (reported, not required). `/health` is the same as `/health/ready`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NotReady | NotReady | Readiness | Problem
     """


    return (await asyncio_detailed(
        client=client,

    )).parsed
