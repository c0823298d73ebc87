# pragma version ~=0.4.3
"""
@title seat_types: a cluster's seat
@custom:contract-name seat_types
@license MIT
@notice The seat of a winner in a cluster, as the Auction settles it: what
        every later operation needs about a winner. It is never stored:
        StakerRewards keeps one hash of a cluster's seats
        (`stream_codec.seats_hash`), and every later operation takes the
        seats back as calldata, rebuilt off-chain from the Auction's
        `ClusterSettled` event and StakerRewards' `SeatRenewed` events
        (`deploy/seats.py`).
@dev A module of types only, so that interfaces (`.vyi`) can import it.
"""


struct Seat:
    bid_id: uint256  # the winning bid
    operator: address  # its operator
    vc: uint256  # its daily VC price (wei per day)
    days: uint256  # days it pays for, counted from the stream start
